package io.snapbus.node.upload;

import io.snapbus.repository.RepositoryLayout;
import java.net.URI;
import java.util.Objects;

/** Turns the full repository URIs tasks carry (Doris sends them so) into paths inside the repository location. */
public final class RepositoryPaths {
    private RepositoryPaths() {}

    /**
     * {@code uri} as a path relative to {@code location}, refusing anything outside it.
     *
     * @param what names the uri in the error, e.g. "upload destination"
     * @throws IllegalArgumentException when {@code uri} is not strictly inside {@code location}
     */
    public static String inside(URI location, String uri, String what) {
        URI dest = URI.create(uri).normalize();
        URI root = location.normalize();
        String rootPath = stripSlashes(root.getPath());
        String destPath = stripSlashes(dest.getPath());
        boolean sameStore = Objects.equals(root.getScheme(), dest.getScheme())
                && Objects.equals(root.getAuthority(), dest.getAuthority());
        if (!sameStore || !(destPath + "/").startsWith(rootPath + "/") || destPath.length() <= rootPath.length()) {
            throw new IllegalArgumentException(what + " " + uri + " is not inside the repository location "
                    + location);
        }
        return RepositoryLayout.requireSafeRelativePath(destPath.substring(rootPath.length() + 1));
    }

    private static String stripSlashes(String path) {
        String p = path == null ? "" : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
