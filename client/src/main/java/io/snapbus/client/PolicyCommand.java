package io.snapbus.client;

import io.snapbus.api.Dropped;
import io.snapbus.api.retention.CreateRetentionPolicyRequest;
import io.snapbus.api.retention.RetentionPolicy;
import io.snapbus.api.retention.RetentionRun;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code snapbus policy}: retention policies (Elasticsearch SLM's retention) over a repository's snapshots. */
@Command(name = "policy", description = "Retention policies: create, list, show, delete, run.")
final class PolicyCommand extends ApiCommand {
    private static final String[] COLUMNS = {"name", "repository", "expireAfterSeconds", "minCount", "maxCount"};

    @Command(name = "create", description = "A retention policy: of the snapshots whose backup named it (backup "
            + "start --policy), the newest --min-count are kept; beyond --max-count, and older than --expire-after, "
            + "they are deleted.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repository,
            @Option(names = "--expire-after", paramLabel = "AGE", converter = Age.class,
                    description = "e.g. 30d, 12h, 90m, 3600s") Duration expireAfter,
            @Option(names = "--min-count", paramLabel = "N") Integer minCount,
            @Option(names = "--max-count", paramLabel = "N") Integer maxCount) {
        RetentionPolicy created = api().createRetentionPolicy(new CreateRetentionPolicyRequest(name, repository,
                expireAfter == null ? null : expireAfter.toSeconds(), minCount, maxCount));
        return print(created, () -> Card.of(created).render());
    }

    @Command(name = "list", description = "Every retention policy.")
    int list() {
        List<RetentionPolicy> policies = api().retentionPolicies();
        return print(policies, () -> TextTable.of(policies, COLUMNS).render());
    }

    @Command(name = "show", description = "One retention policy.")
    int show(@Parameters(paramLabel = "NAME") String name) {
        RetentionPolicy policy = api().retentionPolicy(name);
        return print(policy, () -> Card.of(policy).render());
    }

    @Command(name = "delete", description = "Delete a retention policy; its snapshots stay.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        Dropped dropped = api().deleteRetentionPolicy(name);
        return print(dropped, () -> Card.of(dropped).render());
    }

    @Command(name = "run", description = "Apply a retention policy now: what it deleted, kept and could not delete "
            + "(a snapshot a running job uses waits for the next run).")
    int run(@Parameters(paramLabel = "NAME") String name) {
        RetentionRun run = api().runRetentionPolicy(name);
        return print(run, () -> Card.of(run).render());
    }

    /** An age as a number and a unit (s, m, h, d), or an ISO-8601 duration (PT12H). */
    static final class Age implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

        @Override
        public Duration convert(String text) {
            Matcher m = SHORT.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(text.trim());
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + text + "' is no age: use e.g. 30d, 12h, 90m, 3600s or PT12H");
            }
        }
    }
}
