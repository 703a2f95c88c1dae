package io.snapbus.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of a component JVM: heap, temp folder, the data-folder marker, and the owner watch if wanted.
 *
 * @param command            what to run now
 * @param environment        its environment additions (the classpath, when passed as {@code CLASSPATH})
 * @param classDataArchive   the class data archive this run maps or dumps, if any
 * @param detachedCommand    the same JVM without the owner watch and without a class data archive: how a later
 *                           process (the CLI's {@code start}) runs the component when the owner is gone
 * @param detachedEnvironment the environment of {@code detachedCommand}
 */
record JvmCommand(List<String> command, Map<String, String> environment, Optional<ClassDataArchive> classDataArchive,
                  List<String> detachedCommand, Map<String, String> detachedEnvironment) {

    /**
     * @param classpathInEnvironment pass the classpath as {@code CLASSPATH} (keeps a long test classpath out of
     *                               {@code ps}) rather than {@code -cp}
     * @param archiveName            the class data archive of this classpath, when it is the same on every run so an
     *                               archive pays off (one archive per name, JDK and classpath)
     */
    static JvmCommand of(JavaRuntime java, LocalStackConfig config, String component, String heap, List<String> jvmOptions,
                         String classpath, boolean classpathInEnvironment, Optional<String> archiveName, String mainClass,
                         List<String> args) {
        StackLayout layout = new StackLayout(config.dataDir());
        Path tmp = StackLayout.createDirectories(component, layout.tmp(component));
        List<String> base = new ArrayList<>();
        base.add(java.executable().toString());
        base.add("-Xmx" + heap);
        base.add("-XX:+ExitOnOutOfMemoryError");
        base.add("-Djava.awt.headless=true");
        base.add("-Djava.io.tmpdir=" + tmp);
        base.add(layout.marker());
        base.add("-Dsnapbus.local.component=" + component);
        base.addAll(jvmOptions);
        String fullClasspath = classpath;
        if (config.stopWithOwner()) {
            fullClasspath = ownerWatchJar(config, component) + File.pathSeparator + classpath;
        }
        Optional<ClassDataArchive> archive = Optional.empty();
        List<String> archiveOptions = List.of();
        if (archiveName.isPresent() && config.classDataSharing()) {
            archive = Optional.of(ClassDataArchive.of(config.cacheDir(), archiveName.get(), java, fullClasspath));
            archiveOptions = archive.get().jvmOptions();
        }
        List<String> mainAndArgs = new ArrayList<>();
        if (config.stopWithOwner()) {
            mainAndArgs.add(OwnerWatch.class.getName());
            mainAndArgs.add(Long.toString(ProcessHandle.current().pid()));
        }
        mainAndArgs.add(mainClass);
        mainAndArgs.addAll(args);
        List<String> command = assemble(base, archiveOptions, fullClasspath, classpathInEnvironment, mainAndArgs);
        List<String> detachedMain = new ArrayList<>();
        detachedMain.add(mainClass);
        detachedMain.addAll(args);
        List<String> detached = assemble(base, List.of(), classpath, classpathInEnvironment, detachedMain);
        return new JvmCommand(command, environment(fullClasspath, classpathInEnvironment), archive, detached,
                environment(classpath, classpathInEnvironment));
    }

    private static List<String> assemble(List<String> base, List<String> archiveOptions, String classpath,
                                         boolean classpathInEnvironment, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>(base);
        command.addAll(archiveOptions);
        if (!classpathInEnvironment) {
            command.add("-cp");
            command.add(classpath);
        }
        command.addAll(mainAndArgs);
        return List.copyOf(command);
    }

    private static Map<String, String> environment(String classpath, boolean classpathInEnvironment) {
        return classpathInEnvironment ? Map.of("CLASSPATH", classpath) : Map.of();
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
