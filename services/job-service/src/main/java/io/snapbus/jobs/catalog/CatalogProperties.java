package io.snapbus.jobs.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Catalog settings ({@code snapbus.catalog.*}); Doris's knobs keep their names.
 *
 * @param trashExpireSeconds  how long a dropped table, partition or database stays in the recycle bin, recoverable,
 *                            before its replicas are dropped on the nodes (Doris: catalog_trash_expire_second, 1 day)
 * @param trashCheckInterval  how often the job-service erases what expired from the bin (Doris's recycle bin daemon
 *                            runs every 30 s); also the retry period of an erase whose DROP tasks did not all succeed
 * @param replacedReadGrace   how long the replicas of the partitions and tables a restore replaced stay on the nodes
 *                            after its commit (not recoverable, then erased), so a read that began on them before the
 *                            swap ends with the data it started on instead of a vanished replica
 */
@ConfigurationProperties("snapbus.catalog")
public record CatalogProperties(
        @DefaultValue("86400") long trashExpireSeconds,
        @DefaultValue("30s") Duration trashCheckInterval,
        @DefaultValue("30s") Duration replacedReadGrace) {

    public CatalogProperties {
        if (trashExpireSeconds < 0) {
            throw new IllegalArgumentException("snapbus.catalog.trash-expire-seconds must not be negative, got "
                    + trashExpireSeconds);
        }
        if (trashCheckInterval == null || trashCheckInterval.isNegative() || trashCheckInterval.isZero()) {
            throw new IllegalArgumentException("snapbus.catalog.trash-check-interval must be positive, got "
                    + trashCheckInterval);
        }
        if (replacedReadGrace == null || replacedReadGrace.isNegative()) {
            throw new IllegalArgumentException("snapbus.catalog.replaced-read-grace must not be negative, got "
                    + replacedReadGrace);
        }
    }

    public long trashExpireMs() {
        return trashExpireSeconds * 1000;
    }
}
