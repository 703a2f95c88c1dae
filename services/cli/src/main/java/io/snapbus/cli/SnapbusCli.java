package io.snapbus.cli;

import io.snapbus.local.LocalComponentException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code snapbus} command: picks the sub-command and turns failures into one clear line. */
public final class SnapbusCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private SnapbusCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            // `snapbus up --help`: the commands and their options, the same text as `snapbus help`.
            out.print(usage());
            return OK;
        }
        try {
            CliOptions options = CliOptions.parse(rest);
            if (!List.of("bench", "restart", "stop", "start").contains(args[0]) && !options.positional().isEmpty()) {
                throw new CliOptions.UsageException("unexpected argument '" + options.positional().get(0) + "'");
            }
            return switch (args[0]) {
                case "quickstart" -> new QuickstartCommand(out).run(options);
                case "up" -> new StackCommands(out).up(options);
                case "status" -> new StackCommands(out).status(options);
                case "down" -> new StackCommands(out).down(options);
                case "restart" -> new ServiceCommands(out).restart(options);
                case "stop" -> new ServiceCommands(out).stop(options);
                case "start" -> new ServiceCommands(out).start(options);
                case "demo" -> new DemoCommand(out).run(options);
                case "verify" -> new VerifyCommand(out).run(options);
                case "restore" -> new RestoreCommand(out).restore(options);
                case "restores" -> new RestoreCommand(out).list(options);
                case "cancel-restore" -> new RestoreCommand(out).cancel(options);
                case "bench" -> {
                    // The benchmarks are a module of their own (bench/), kept out of this artifact.
                    err.println("snapbus bench: the benchmarks are not part of the CLI; run them with the snapbus"
                            + " script (./snapbus bench ...), which builds and runs the bench module");
                    yield USAGE;
                }
                case "help", "--help", "-h" -> {
                    out.print(usage());
                    yield OK;
                }
                default -> {
                    err.println("snapbus: unknown command '" + args[0] + "'");
                    err.print(usage());
                    yield USAGE;
                }
            };
        } catch (CliOptions.UsageException e) {
            err.println("snapbus " + args[0] + ": " + e.getMessage());
            err.print(usage());
            return USAGE;
        } catch (LocalComponentException e) {
            err.println("snapbus " + args[0] + ": " + e.getMessage());
            return FAILED;
        } catch (Exception e) {
            err.println("snapbus " + args[0] + ": " + e.getMessage());
            return FAILED;
        }
    }

    static String usage() {
        return """
                usage: snapbus <command> [options]

                commands:
                  quickstart [--keep]        start the embedded default (broker, registry, 3 storage nodes, job-service,
                                             2 agents), load two tables, back them up, stop it (--keep: leave it up);
                                             takes --brokers and --kafka-security as `up` does
                  up [--s3]                  start the local infrastructure (Kafka, schema registry, S3 with --s3) and leave it up
                     [--brokers N]           N KRaft brokers (default 1; each broker and controller, all voters); with
                                             3, snapbus's topics get 3 replicas and min.insync.replicas=2, so one
                                             broker may die without losing an acknowledged record
                     [--kafka-security P]    PLAINTEXT (default) or SASL_SSL: clients authenticate with SCRAM-SHA-512
                                             over TLS (a self-signed certificate for 127.0.0.1); passwords and the
                                             trust store in DIR/secrets and DIR/tls, services get them by reference
                  status                     show what runs and where
                  down                       stop what `up` or `quickstart --keep` started
                  restart SERVICE            stop one service of the running stack (as `status` names it: job-service,
                                             agent-N, node-N, kafka, kafka-N, registry, s3) and start it again on its data and
                                             ports; `status` and `down` see the new process
                  stop SERVICE               stop one service of the running stack
                  start SERVICE              start one stopped service of the stack again
                  bench data-plane           build --size-mb of tablets (default 2048, --tablets 64) on a storage node,
                                             upload them to a filesystem repository next to `cp -r`; JSON lines out;
                                             then --small-files (5 000, 0: none) of ~3.5 KB the same way; then both
                                             to S3 (s3proxy) next to a plain AWS SDK upload (--no-s3: skip)
                  bench recovery             replay --jobs finished jobs (10 000) + one in-flight job of --tablets
                                             (100 000) from a real backup-jobs topic; time and heap as JSON lines;
                                             then on the local cluster a backup of --restart-tablets (2 000) whose
                                             job-service is killed in SNAPSHOTING: seconds from the restarted one's
                                             start to its first applied result, results it dropped
                  bench creation             on the whole local cluster, create --tablets tablets (300 000: 10 tables,
                                             100 buckets, replication 1) and load a version into each; JSON lines
                  bench control-plane        creation, then one backup of every table to a filesystem repository:
                                             time per state, heap, RSS, Kafka bytes; --baseline-tablets N runs N
                                             first and prints the ratio; --profile records JFR profiles
                  bench restore              --plane data (the default): back up --size-mb (2048, --tablets 64) to a
                                             filesystem repository, then DOWNLOAD it into new replicas on a storage
                                             node next to `cp -r` + `sync` of the same files, taking turns; a
                                             second DOWNLOAD of the unchanged snapshot next to md5sum; then
                                             --small-files (5 000) the same way; JSON lines. --plane control:
                                             control-plane's backup, then a restore of every table under a new
                                             name: time per state next to the backup's, heap
                  demo --url URL --backend H:P --location URI
                                             on a stack the CLI did not start (e.g. docker compose): add the
                                             storage nodes (--backend, repeatable) as backends, create and load
                                             quickstart's tables in database demo, create repository local_repo at
                                             --location, back both tables up ([--label L]); exit 0 when FINISHED
                  verify --repo R --label L  verify a snapshot in a repository on the job-service: [--timestamp T]
                                             (default: the label's newest backup), [--level files|data] (files:
                                             every file exists with its size and md5, strays named; data: also every
                                             row read back against the checksums the backup recorded), [--url URL]
                                             (default: the job-service of the stack in --data, else of `up`'s or
                                             `quickstart --keep`'s folder); prints progress and each problem; exit
                                             0 when it passed, 1 when not. It never repairs anything
                  restore --repo R --label L restore a snapshot on the job-service (--url, found as verify's):
                                             [--timestamp T] (default: the label's newest backup), [--db D]
                                             (default demo), [--on table[:p1,p2][=alias]] (repeatable; none: every
                                             object), [--property k=v] (repeatable: Doris's properties, e.g.
                                             atomic_restore=true); prints progress, then SHOW RESTORE; exit 0 when
                                             it FINISHED, 1 when CANCELLED
                  restores [--db D]          SHOW RESTORE: the database's restore jobs, a line each
                  cancel-restore --id N      CANCEL RESTORE of job N (refused once it swaps its partitions in)
                  help                       this text

                options of every command:
                  --data DIR                 data folder (default: $SNAPBUS_HOME/local, or .../quickstart for quickstart;
                                             ./snapbus sets SNAPBUS_HOME to <checkout>/.snapbus)
                  --kafka-port N             broker port (default 0: a free port)
                  --registry-port N          schema registry port (default 0: a free port)
                  --s3-port N                S3 server port (default 0: a free port)
                """;
    }
}
