package io.snapbus.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Entry point of a component JVM that must not outlive the JVM that started it: runs the component's own main
 * class and exits (through the component's shutdown hooks) as soon as the owner process is gone, even if the
 * owner was killed with SIGKILL and could not run its own shutdown hook.
 *
 * <p>Usage: {@code java … io.snapbus.local.OwnerWatch <ownerPid> <mainClass> [args…]}. This class is copied into a
 * tiny jar of its own so it can be put in front of any classpath (including a fat jar's JVM). It must stay
 * self-contained: no nested or anonymous classes, no dependencies.
 */
public final class OwnerWatch {

    private OwnerWatch() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: OwnerWatch <ownerPid> <mainClass> [args...]");
            System.exit(2);
        }
        long owner = Long.parseLong(args[0]);
        Optional<ProcessHandle> handle = ProcessHandle.of(owner);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            System.err.println("snapbus-local: owner process " + owner + " is already gone; not starting");
            System.exit(3);
        }
        handle.get().onExit().thenRun(() -> {
            System.err.println("snapbus-local: owner process " + owner + " has exited; stopping");
            System.exit(0);
        });
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A jar holding only this class, written once into {@code cacheDir}. */
    static Path jar(Path cacheDir) throws IOException {
        byte[] bytes;
        try (InputStream in = OwnerWatch.class.getResourceAsStream("OwnerWatch.class")) {
            if (in == null) {
                throw new IOException("OwnerWatch.class is not readable as a resource");
            }
            bytes = in.readAllBytes();
        }
        Path jar = cacheDir.resolve("snapbus-owner-watch-" + Integer.toHexString(Arrays.hashCode(bytes)) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Files.createDirectories(cacheDir);
        Path temp = Files.createTempFile(cacheDir, ".owner-watch", ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(temp); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("io/snapbus/local/OwnerWatch.class"));
            jarOut.write(bytes);
            jarOut.closeEntry();
        }
        Files.move(temp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }
}
