/**
 * Backup repositories with Apache Doris's layout: {@link io.snapbus.repository.RepositoryLayout} names the paths,
 * {@link io.snapbus.repository.RepositoryStorages} opens a filesystem or S3 {@link io.snapbus.repository.RepositoryStorage}
 * that writes every file atomically, and {@link io.snapbus.repository.RepositoryInfo} reads and writes {@code __repo_info}.
 */
package io.snapbus.repository;
