package io.snapbus.jobs.repository;

import java.util.List;

/** A snapshot in a repository: its label and the job info files ({@code __info_<timestamp>.<md5>}) it holds. */
public record SnapshotEntry(String label, List<String> timestamps, List<String> infoFiles) {}
