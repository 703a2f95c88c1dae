package io.snapbus.node.tablet;

import io.snapbus.tabletformat.TabletColumn;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.TabletKeysType;
import io.snapbus.tabletformat.AvroValues;
import static io.snapbus.node.tablet.TabletFixtures.expectStatus;
import static io.snapbus.node.tablet.TabletFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.rows.ColumnType;
import io.snapbus.rows.LoadFormat;
import io.snapbus.thrift.TStatusCode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/** Schemas, their Avro form, and how NDJSON and CSV values become Avro data. */
class RowParsingTest {
    private static final TabletSchema ALL_TYPES = new TabletSchema(List.of(
            new TabletColumn("k", "INT", true, false),
            new TabletColumn("flag", "BOOLEAN", false, true),
            new TabletColumn("tiny", "TINYINT", false, true),
            new TabletColumn("small", "smallint", false, true),
            new TabletColumn("big", "BIGINT", false, true),
            new TabletColumn("f", "FLOAT", false, true),
            new TabletColumn("d", "DOUBLE", false, true),
            new TabletColumn("amount", "decimal( 10 , 3 )", false, true),
            new TabletColumn("day", "DATE", false, true),
            new TabletColumn("at", "DATETIME", false, true),
            new TabletColumn("code", "CHAR(2)", false, true),
            new TabletColumn("name", "VARCHAR(4)", false, true),
            new TabletColumn("note", "STRING", false, false)), TabletKeysType.UNIQUE_KEYS);

    private static List<Object[]> parse(TabletSchema schema, LoadFormat format, String rows) throws Exception {
        Schema avro = schema.toAvroSchema();
        List<Object[]> parsed = new ArrayList<>();
        RowParser.parse(schema, avro, format, text(rows), row -> {
            Object[] values = new Object[avro.getFields().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            parsed.add(values);
        });
        return parsed;
    }

    private static String error(TabletSchema schema, LoadFormat format, String rows) {
        return expectStatus(TStatusCode.INVALID_ARGUMENT, () -> parse(schema, format, rows)).getMessage();
    }

    @Test
    void typesAreNormalisedAndMappedToAvroAsSpecified() {
        Schema avro = ALL_TYPES.toAvroSchema();

        assertThat(ALL_TYPES.columns().get(3).type()).isEqualTo("SMALLINT");
        assertThat(ALL_TYPES.columns().get(7).type()).isEqualTo("DECIMAL(10,3)");
        assertThat(avro.getField("k").schema().getType()).isEqualTo(Schema.Type.INT);
        Schema amount = avro.getField("amount").schema();
        assertThat(amount.getType()).isEqualTo(Schema.Type.UNION);
        assertThat(amount.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
        assertThat(amount.getTypes().get(1).getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 3));
        assertThat(amount.getTypes().get(1).getType()).isEqualTo(Schema.Type.BYTES);
        assertThat(avro.getField("amount").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(avro.getField("day").schema().getTypes().get(1).getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(avro.getField("at").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.localTimestampMillis());
        assertThat(avro.getField("name").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.STRING);
        assertThat(avro.getField("note").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(avro.getField("tiny").getProp("sqlType")).isEqualTo("TINYINT");
        assertThat(avro.getProp("keysType")).isEqualTo("UNIQUE_KEYS");
    }

    @Test
    void everyTypeParsesFromNdjsonAndCsvAlike() throws Exception {
        String json = "{\"k\":1,\"flag\":true,\"tiny\":-128,\"small\":\"300\",\"big\":9007199254740993,\"f\":1.5,"
                + "\"d\":\"2.25e3\",\"amount\":12.3456,\"day\":\"2024-02-29\",\"at\":\"2024-02-29 13:14:15.123\","
                + "\"code\":\"NO\",\"name\":\"Ås\",\"note\":\"ok\"}";
        String csv = "1,1,-128,300,9007199254740993,1.5,2.25e3,12.3456,2024-02-29,2024-02-29T13:14:15.123,NO,Ås,ok";

        Object[] fromJson = parse(ALL_TYPES, LoadFormat.NDJSON, json).get(0);
        Object[] fromCsv = parse(ALL_TYPES, LoadFormat.CSV, csv).get(0);

        assertThat(fromCsv).isEqualTo(fromJson);
        assertThat(fromJson[1]).isEqualTo(true);
        assertThat(fromJson[2]).isEqualTo(-128);
        assertThat(fromJson[4]).isEqualTo(9_007_199_254_740_993L);
        assertThat(fromJson[5]).isEqualTo(1.5f);
        assertThat(fromJson[6]).isEqualTo(2250.0);
        assertThat(unscaled(fromJson[7])).isEqualTo(new BigDecimal("12.346").unscaledValue().longValue());
        assertThat(fromJson[8]).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(fromJson[9]).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000)
                .toInstant(ZoneOffset.UTC).toEpochMilli());
        assertThat(fromJson[11]).isEqualTo("Ås");
    }

    private static long unscaled(Object bytes) {
        ByteBuffer buffer = ((ByteBuffer) bytes).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return new java.math.BigInteger(array).longValue();
    }

    @Test
    void nullsAreMissingKeysJsonNullsAndInCsvBackslashNOrEmptyNonStrings() throws Exception {
        Object[] json = parse(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"flag\":null,\"note\":\"\"}").get(0);
        Object[] csv = parse(ALL_TYPES, LoadFormat.CSV, "1,\\N,,,,,,,,,,\"\",\"\"").get(0);

        assertThat(json).containsExactly(1, null, null, null, null, null, null, null, null, null, null, null, "");
        assertThat(csv).containsExactly(1, null, null, null, null, null, null, null, null, null, "", "", "");
        assertThat(parse(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,").get(0)[12]).isEqualTo("");
    }

    /** The shared reader's messages (platform/rows' RowReaderTest has them all) come back as INVALID_ARGUMENT. */
    @Test
    void badRowsAreInvalidArgumentsNamingTheLineTheColumnTheTypeAndTheValue() {
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1,\"note\":\"\"}\n{\"k\":2,\"tiny\":128,\"note\":\"\"}"))
                .isEqualTo("line 2: column tiny: out of range for TINYINT: '128'");
        assertThat(error(ALL_TYPES, LoadFormat.NDJSON, "{\"k\":1}"))
                .isEqualTo("line 1: column note is NOT NULL but the row has no value");
        assertThat(error(ALL_TYPES, LoadFormat.CSV, "1,,,,,,,,,,,,\"x\nx\"\n\"2\",,,,,,,,,,,,\"x\"y"))
                .isEqualTo("line 3: unexpected character after a quoted field");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] rows = {'1', '\n', '2', (byte) 0xC3, '\n'};
        StoreException e = expectStatus(TStatusCode.INVALID_ARGUMENT, () -> RowParser.parse(ALL_TYPES,
                ALL_TYPES.toAvroSchema(), LoadFormat.CSV, rows, row -> { }));
        assertThat(e).hasMessage("line 2: the body is not valid UTF-8 (byte 3)");
    }

    @Test
    void storedDataReadsBackToTheCanonicalTextItWasLoadedWith() throws Exception {
        String csv = "1,1,-128,300,9007199254740993,1.5,2.25e3,12.3456,2024-02-29,2024-02-29T13:14:15.123,NO,Ås,ok";
        Object[] stored = parse(ALL_TYPES, LoadFormat.CSV, csv).get(0);
        List<ColumnType> types = ALL_TYPES.columnTypes();
        Object[] readBack = new Object[stored.length];
        for (int i = 0; i < stored.length; i++) {
            readBack[i] = AvroValues.value(types.get(i), stored[i]);
        }
        assertThat(ALL_TYPES.rowSchema().canonical(readBack)).containsExactly("1", "true", "-128", "300",
                "9007199254740993", "1.5", "2250.0", "12.346", "2024-02-29", "2024-02-29T13:14:15.123", "NO", "Ås",
                "ok");
    }

    @Test
    void invalidSchemasAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> new TabletColumn("amount", "MONEY", false, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column amount: unknown type 'MONEY'");
        assertThatThrownBy(() -> new TabletColumn("a", "DECIMAL(40,2)", false, true)).hasMessageContaining("1..38");
        assertThatThrownBy(() -> new TabletColumn("a", "DECIMAL(4,5)", false, true)).hasMessageContaining("scale");
        assertThatThrownBy(() -> new TabletColumn("a", "VARCHAR", false, true)).hasMessageContaining("VARCHAR(n)");
        assertThatThrownBy(() -> new TabletColumn("a", "INT(3)", false, true)).hasMessageContaining("no arguments");
        assertThatThrownBy(() -> new TabletColumn("1a", "INT", false, true)).hasMessageContaining("not allowed");
        TabletColumn key = new TabletColumn("k", "INT", true, false);
        TabletColumn value = new TabletColumn("v", "INT", false, true);
        assertThatThrownBy(() -> new TabletSchema(List.of(value, key), TabletKeysType.DUP_KEYS))
                .hasMessageContaining("key columns come first");
        assertThatThrownBy(() -> new TabletSchema(List.of(value), TabletKeysType.DUP_KEYS))
                .hasMessageContaining("at least one key column");
        assertThatThrownBy(() -> new TabletSchema(List.of(key, new TabletColumn("K", "INT", false, true)), null))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new TabletSchema(List.of(new TabletColumn("f", "DOUBLE", true, false)), null))
                .hasMessageContaining("cannot be a key column");
        assertThatThrownBy(() -> new TabletSchema(List.of(), null)).hasMessageContaining("at least one column");
        assertThat(new TabletSchema(List.of(key), null).keysType()).isEqualTo(TabletKeysType.DUP_KEYS);
    }

    @Test
    void parsedRowsAreValidAvroData() throws Exception {
        Schema avro = ALL_TYPES.toAvroSchema();
        RowParser.parse(ALL_TYPES, avro, LoadFormat.CSV, text("1,,,,,,,1.5,2024-01-01,,,,x\n"),
                row -> assertThat(GenericData.get().validate(avro, row)).isTrue());
    }
}
