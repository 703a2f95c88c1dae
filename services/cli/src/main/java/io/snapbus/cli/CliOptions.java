package io.snapbus.cli;

import io.snapbus.local.LocalStackConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options the commands accept, parsed strictly: an unknown option or a bad value is refused before anything
 * starts.
 *
 * @param dataDir      --data, or empty for the command's default folder
 * @param keep         --keep: quickstart leaves the stack running
 * @param s3           --s3: also start the S3 server
 * @param kafkaPort    --kafka-port (0: a free port)
 * @param registryPort --registry-port (0: a free port)
 * @param s3Port       --s3-port (0: a free port)
 * @param positional   arguments that are not options (e.g. the benchmark scenario)
 * @param sizeMb       --size-mb: data a benchmark builds (default 2048)
 * @param tablets      --tablets: tablets a benchmark builds (default 64; recovery: 100 000 in the in-flight job)
 * @param tabletsGiven whether --tablets was given
 * @param jobs         --jobs: finished jobs the recovery benchmark replays (default 10 000)
 * @param baselineTablets --baseline-tablets: control-plane first runs at this size and prints the ratio (0: none)
 * @param profile      --profile: control-plane records JFR profiles of the services during the backup
 * @param smallFiles   --small-files: small files the data-plane benchmark uploads (default 5 000; 0: none)
 * @param noS3         --no-s3: the data-plane benchmark skips its S3 figures
 * @param restartTablets --restart-tablets: tablets of the backup whose job-service the recovery benchmark kills and
 *                     restarts (default 2 000)
 * @param repo         --repo: the repository (verify)
 * @param label        --label: the snapshot label (verify)
 * @param timestamp    --timestamp: the backup timestamp, yyyy-MM-dd-HH-mm-ss (verify; default the newest)
 * @param level        --level: files or data (verify; default files)
 * @param url          --url: the job-service's base URL (verify, restore; default the local stack's)
 * @param db           --db: the database (restore, restores; default the quickstart's, demo)
 * @param on           --on, repeatable: a table to restore, {@code table[:p1,p2][=alias]} (restore; none: every
 *                     object of the snapshot)
 * @param properties   --property k=v, repeatable: Doris's restore properties (restore), in the order given
 * @param id           --id: a restore job's id (cancel-restore)
 * @param backends     --backend host:port, repeatable: storage nodes to add as backends (demo)
 * @param location     --location URI: where a repository keeps its files (demo)
 * @param brokers      --brokers: KRaft brokers the local stack runs (up, quickstart; default 1); 3 replicate every
 *                     snapbus topic three times with min.insync.replicas=2
 * @param kafkaSecurity --kafka-security: PLAINTEXT (default) or SASL_SSL (SCRAM-SHA-512 over TLS) on the brokers'
 *                     client listener (up, quickstart)
 */
public record CliOptions(Optional<Path> dataDir, boolean keep, boolean s3, int kafkaPort, int registryPort, int s3Port,
        List<String> positional, long sizeMb, int tablets, boolean tabletsGiven, int jobs, int baselineTablets,
        boolean profile, int smallFiles, boolean noS3, int restartTablets, Optional<String> repo,
        Optional<String> label, Optional<String> timestamp, Optional<String> level, Optional<String> url,
        Optional<String> db, List<RestoreTarget> on, Map<String, String> properties, Optional<Long> id,
        List<String> backends, Optional<String> location, int brokers, String kafkaSecurity) {

    /** One {@code --on table[:p1,p2][=alias]}: a table, the partitions to restore (none: all) and its new name. */
    public record RestoreTarget(String name, List<String> partitions, Optional<String> alias) {
        /** The REST body's form: {@code {"name", "partitions", "alias"?}}. */
        public Map<String, Object> toBody() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("partitions", partitions);
            alias.ifPresent(a -> body.put("alias", a));
            return body;
        }

        static RestoreTarget parse(String text) {
            String spec = text;
            Optional<String> alias = Optional.empty();
            int equals = spec.indexOf('=');
            if (equals >= 0) {
                alias = Optional.of(spec.substring(equals + 1));
                spec = spec.substring(0, equals);
            }
            List<String> partitions = List.of();
            int colon = spec.indexOf(':');
            if (colon >= 0) {
                partitions = List.of(spec.substring(colon + 1).split(",", -1));
                spec = spec.substring(0, colon);
            }
            if (spec.isEmpty() || alias.map(String::isEmpty).orElse(false)
                    || (colon >= 0 && partitions.stream().anyMatch(String::isEmpty))) {
                throw new UsageException("--on takes table[:p1,p2][=alias], got '" + text + "'");
            }
            return new RestoreTarget(spec, partitions, alias);
        }
    }

    public static CliOptions parse(List<String> args) {
        Optional<Path> dataDir = Optional.empty();
        boolean keep = false;
        boolean s3 = false;
        int kafkaPort = 0;
        int registryPort = 0;
        int s3Port = 0;
        List<String> positional = new ArrayList<>();
        long sizeMb = 2048;
        int tablets = 64;
        boolean tabletsGiven = false;
        int jobs = 10_000;
        int baselineTablets = 0;
        boolean profile = false;
        int smallFiles = 5_000;
        boolean noS3 = false;
        int restartTablets = 2_000;
        Optional<String> repo = Optional.empty();
        Optional<String> label = Optional.empty();
        Optional<String> timestamp = Optional.empty();
        Optional<String> level = Optional.empty();
        Optional<String> url = Optional.empty();
        Optional<String> db = Optional.empty();
        List<RestoreTarget> on = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        Optional<Long> id = Optional.empty();
        List<String> backends = new ArrayList<>();
        Optional<String> location = Optional.empty();
        int brokers = 1;
        String kafkaSecurity = "PLAINTEXT";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> dataDir = Optional.of(Path.of(value(args, ++i, arg)).toAbsolutePath().normalize());
                case "--keep" -> keep = true;
                case "--s3" -> s3 = true;
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, arg), arg);
                case "--registry-port" -> registryPort = port(value(args, ++i, arg), arg);
                case "--s3-port" -> s3Port = port(value(args, ++i, arg), arg);
                case "--size-mb" -> sizeMb = positive(value(args, ++i, arg), arg);
                case "--tablets" -> {
                    tablets = (int) Math.min(Integer.MAX_VALUE, positive(value(args, ++i, arg), arg));
                    tabletsGiven = true;
                }
                case "--jobs" -> jobs = (int) Math.min(Integer.MAX_VALUE, positive(value(args, ++i, arg), arg));
                case "--baseline-tablets" -> baselineTablets = (int) Math.min(Integer.MAX_VALUE,
                        positive(value(args, ++i, arg), arg));
                case "--profile" -> profile = true;
                case "--small-files" -> {
                    String files = value(args, ++i, arg);
                    smallFiles = "0".equals(files) ? 0 : (int) Math.min(Integer.MAX_VALUE, positive(files, arg));
                }
                case "--no-s3" -> noS3 = true;
                case "--restart-tablets" -> restartTablets = (int) Math.min(Integer.MAX_VALUE,
                        positive(value(args, ++i, arg), arg));
                case "--repo" -> repo = Optional.of(value(args, ++i, arg));
                case "--label" -> label = Optional.of(value(args, ++i, arg));
                case "--timestamp" -> timestamp = Optional.of(value(args, ++i, arg));
                case "--level" -> {
                    String given = value(args, ++i, arg);
                    if (!given.equals("files") && !given.equals("data")) {
                        throw new UsageException("--level must be files or data, got '" + given + "'");
                    }
                    level = Optional.of(given);
                }
                case "--url" -> url = Optional.of(value(args, ++i, arg));
                case "--db" -> db = Optional.of(value(args, ++i, arg));
                case "--on" -> on.add(RestoreTarget.parse(value(args, ++i, arg)));
                case "--property" -> {
                    String given = value(args, ++i, arg);
                    int equals = given.indexOf('=');
                    if (equals < 1) {
                        throw new UsageException("--property takes key=value, got '" + given + "'");
                    }
                    if (properties.put(given.substring(0, equals), given.substring(equals + 1)) != null) {
                        throw new UsageException("--property " + given.substring(0, equals) + " given twice");
                    }
                }
                case "--brokers" -> {
                    long given = positive(value(args, ++i, arg), arg);
                    if (given > 9) {
                        throw new UsageException("--brokers must be 1 to 9, got " + given);
                    }
                    brokers = (int) given;
                }
                case "--kafka-security" -> {
                    String given = value(args, ++i, arg).toUpperCase(Locale.ROOT);
                    if (!given.equals("PLAINTEXT") && !given.equals("SASL_SSL")) {
                        throw new UsageException("--kafka-security must be PLAINTEXT or SASL_SSL, got '"
                                + args.get(i) + "'");
                    }
                    kafkaSecurity = given;
                }
                case "--id" -> id = Optional.of(positive(value(args, ++i, arg), arg));
                case "--backend" -> backends.add(value(args, ++i, arg));
                case "--location" -> location = Optional.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    positional.add(arg);
                }
            }
        }
        return new CliOptions(dataDir, keep, s3, kafkaPort, registryPort, s3Port, List.copyOf(positional), sizeMb,
                tablets, tabletsGiven, jobs, baselineTablets, profile, smallFiles, noS3, restartTablets, repo, label,
                timestamp, level, url, db, List.copyOf(on), Collections.unmodifiableMap(properties), id,
                List.copyOf(backends), location, brokers, kafkaSecurity);
    }

    /** The local stack's settings these options ask for (ports, brokers, security). */
    public LocalStackConfig.Builder stackConfig(Path dataDir) {
        return LocalStackConfig.builder().dataDir(dataDir)
                .kafkaPort(kafkaPort).registryPort(registryPort).s3Port(s3Port)
                .kafkaBrokers(brokers)
                .kafkaSecurity(LocalStackConfig.KafkaSecurity.valueOf(kafkaSecurity));
    }

    /** The data folder: --data, else {@code $SNAPBUS_HOME/<name>} (./.snapbus/<name> when SNAPBUS_HOME is unset). */
    public Path dataDirOr(String name) {
        return dataDir.orElseGet(() -> {
            String home = System.getenv("SNAPBUS_HOME");
            Path base = home == null || home.isBlank() ? Path.of(".snapbus") : Path.of(home);
            return base.resolve(name).toAbsolutePath().normalize();
        });
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long positive(String text, String option) {
        try {
            long value = Long.parseLong(text);
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number of at least 1, got '" + text + "'");
        }
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a port number from 0 to 65535, got '" + text + "'");
        }
    }

    /** A command line the commands cannot act on. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
