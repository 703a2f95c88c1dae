package io.snapbus.api.catalog;

import java.util.Map;

/** An ODBC resource; never with a secret, only the credential reference. */
public record Resource(String name, Map<String, String> properties, String credentialRef) {}
