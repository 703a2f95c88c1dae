package io.snapbus.api.retention;

/**
 * A retention policy (Elasticsearch SLM's retention): of the snapshots in {@code repository} whose backup named this
 * policy, the newest {@code minCount} are always kept; beyond {@code maxCount}, and older than
 * {@code expireAfterSeconds}, they are deleted. 0 means no limit of that kind.
 */
public record RetentionPolicy(String name, String repository, long expireAfterSeconds, int minCount, int maxCount,
        long createdAtMs) {}
