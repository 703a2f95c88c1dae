package io.snapbus.client;

import java.net.URI;

/**
 * The job-service a command talks to and where that choice came from (said when it cannot be reached).
 *
 * @param uri    its base URL, such as {@code http://127.0.0.1:8080}, without a trailing slash
 * @param source {@code --server}, {@code SNAPBUS_SERVER}, the config file or the local stack's endpoints file
 */
record Server(URI uri, String source) {

    /** A server from a URL as a user wrote it; refused (exit 2) unless http or https with a host. */
    static Server parse(String url, String source) {
        String text = url.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new ClientFailure(ExitCode.USAGE, "not a job-service URL: '" + url + "' (from " + source + ")");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ClientFailure(ExitCode.USAGE, "not a job-service URL: '" + url + "' (from " + source
                    + "); give http://host:port");
        }
        return new Server(uri, source);
    }
}
