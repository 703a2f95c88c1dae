package io.snapbus.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command line of a component JVM: heap, temp folder, the data-folder marker, and the owner watch if wanted. */
record JvmCommand(List<String> command, Map<String, String> environment, Optional<ClassDataArchive> classDataArchive) {

    /**
     * @param classpathInEnvironment pass the classpath as {@code CLASSPATH} (keeps a long test classpath out of
     *                               {@code ps}) rather than {@code -cp}
     * @param stableClasspath        the classpath is the same on every run, so a class data archive pays off
     */
    static JvmCommand of(JavaRuntime java, LocalStackConfig config, String component, String heap, List<String> jvmOptions,
                         String classpath, boolean classpathInEnvironment, boolean stableClasspath, String mainClass, List<String> args) {
        StackLayout layout = new StackLayout(config.dataDir());
        Path tmp = StackLayout.createDirectories(component, layout.tmp(component));
        List<String> command = new ArrayList<>();
        command.add(java.executable().toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.awt.headless=true");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add(layout.marker());
        command.add("-Dsnapbus.local.component=" + component);
        command.addAll(jvmOptions);
        String fullClasspath = classpath;
        if (config.stopWithOwner()) {
            fullClasspath = ownerWatchJar(config, component) + File.pathSeparator + classpath;
        }
        Optional<ClassDataArchive> archive = Optional.empty();
        if (stableClasspath && config.classDataSharing()) {
            archive = Optional.of(ClassDataArchive.of(config.cacheDir(), component, java, fullClasspath));
            command.addAll(archive.get().jvmOptions());
        }
        Map<String, String> environment = Map.of();
        if (classpathInEnvironment) {
            environment = Map.of("CLASSPATH", fullClasspath);
        } else {
            command.add("-cp");
            command.add(fullClasspath);
        }
        if (config.stopWithOwner()) {
            command.add(OwnerWatch.class.getName());
            command.add(Long.toString(ProcessHandle.current().pid()));
        }
        command.add(mainClass);
        command.addAll(args);
        return new JvmCommand(List.copyOf(command), environment, archive);
    }

    private static Path ownerWatchJar(LocalStackConfig config, String component) {
        try {
            return OwnerWatch.jar(config.cacheDir());
        } catch (IOException e) {
            throw new LocalComponentException(component, "cannot write the owner-watch jar into " + config.cacheDir() + " (" + e
                    + "); set LocalStackConfig.cacheDir to a writable folder", new UncheckedIOException(e));
        }
    }
}
