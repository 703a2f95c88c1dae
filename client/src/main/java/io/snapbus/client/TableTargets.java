package io.snapbus.client;

import io.snapbus.api.backup.BackupTable;
import io.snapbus.api.restore.RestoreTable;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The tables of a backup or restore as {@code --on} and {@code --exclude} name them: {@code table}, with some
 * partitions {@code table:p1,p2}, restored under another name {@code table=alias} or {@code table:p1,p2=alias}
 * (Doris's {@code ON (table PARTITION (p1, p2) AS alias)}).
 */
final class TableTargets {
    private TableTargets() {}

    /** One parsed target; {@code alias} null when none. */
    record Target(String name, List<String> partitions, String alias) {}

    static Target parse(String text, boolean aliasAllowed) {
        String spec = text;
        String alias = null;
        int equals = spec.indexOf('=');
        if (equals >= 0) {
            alias = spec.substring(equals + 1);
            spec = spec.substring(0, equals);
            if (!aliasAllowed || alias.isBlank()) {
                throw new TypeConversionException(aliasAllowed ? "no alias after '=' in '" + text + "'"
                        : "no alias here: '" + text + "' (table[:p1,p2])");
            }
        }
        List<String> partitions = List.of();
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            partitions = Arrays.stream(spec.substring(colon + 1).split(",")).map(String::strip).toList();
            spec = spec.substring(0, colon);
            if (partitions.stream().anyMatch(String::isEmpty)) {
                throw new TypeConversionException("an empty partition name in '" + text + "'");
            }
        }
        if (spec.isBlank()) {
            throw new TypeConversionException("no table name in '" + text + "'");
        }
        return new Target(spec.strip(), partitions, alias);
    }

    /** {@code backup start --on table[:p1,p2]}. */
    static final class Backup implements ITypeConverter<BackupTable> {
        @Override
        public BackupTable convert(String value) {
            Target target = parse(value, false);
            return new BackupTable(target.name(), target.partitions());
        }
    }

    /** {@code restore start --on table[:p1,p2][=alias]}. */
    static final class Restore implements ITypeConverter<RestoreTable> {
        @Override
        public RestoreTable convert(String value) {
            Target target = parse(value, true);
            return new RestoreTable(target.name(), target.partitions(), target.alias());
        }
    }

    /** {@code restore start --exclude table[:p1,p2]}. */
    static final class Excluded implements ITypeConverter<RestoreTable> {
        @Override
        public RestoreTable convert(String value) {
            Target target = parse(value, false);
            return new RestoreTable(target.name(), target.partitions(), null);
        }
    }
}
