package io.snapbus.api.backup;

import java.util.Map;

/**
 * A snapshot kept on the storage nodes by a backup to {@code __keep_on_local__}: its expiry and, until then and when
 * fetched alone, its meta and job info files as the JSON they hold (Doris's getSnapshot returns the two files;
 * expired, none).
 *
 * @param tableCommitSeqs the catalog commit sequence of each backed-up table, by table id
 * @param meta            the {@code __meta} file, null in lists and once expired
 * @param jobInfo         the {@code __info_<createTime>} file, null in lists and once expired
 */
public record LocalSnapshot(String label, long jobId, long createTimeMs, long expiredAtMs, boolean expired,
        Map<Long, Long> tableCommitSeqs, String jobInfoFileName, Map<String, Object> meta,
        Map<String, Object> jobInfo) {}
