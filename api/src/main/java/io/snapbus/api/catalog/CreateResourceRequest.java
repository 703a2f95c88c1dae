package io.snapbus.api.catalog;

import static io.snapbus.api.Limits.NAME;
import static io.snapbus.api.Limits.NAME_MESSAGE;
import static io.snapbus.api.Limits.VALUE;
import static io.snapbus.api.Limits.VALUE_MESSAGE;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** CREATE RESOURCE of an ODBC resource; {@code credentialRef} names an entry of the credentials file. */
public record CreateResourceRequest(
        @Size(max = NAME, message = NAME_MESSAGE) String name,
        Map<@NotBlank(message = "a property needs a name") @Size(max = NAME, message = NAME_MESSAGE) String,
            @NotNull(message = "a property needs a value") @Size(max = VALUE, message = VALUE_MESSAGE) String>
                properties,
        @Size(max = NAME, message = NAME_MESSAGE) String credentialRef) {}
