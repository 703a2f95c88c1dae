package io.snapbus.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapbus.rows.ColumnType.Kind;
import org.junit.jupiter.api.Test;

/** The syntax of column types: what parses, its canonical name, and the messages of what does not. */
class ColumnTypeTest {

    @Test
    void typesAreNormalisedToUpperCaseWithoutSpaces() {
        assertThat(ColumnType.parse("smallint").sql()).isEqualTo("SMALLINT");
        assertThat(ColumnType.parse(" decimal( 10 , 3 ) ").sql()).isEqualTo("DECIMAL(10,3)");
        assertThat(ColumnType.parse("decimal(9)")).isEqualTo(new ColumnType(Kind.DECIMAL, 0, 9, 0));
        assertThat(ColumnType.parse("varchar(32)")).isEqualTo(new ColumnType(Kind.VARCHAR, 32, 0, 0));
        assertThat(ColumnType.parse("CHAR(255)").sql()).isEqualTo("CHAR(255)");
        assertThat(ColumnType.parse("VARCHAR(65533)").length()).isEqualTo(65_533);
        assertThat(ColumnType.parse("DECIMAL(38,38)").scale()).isEqualTo(38);
        for (Kind kind : Kind.values()) {
            String text = switch (kind) {
                case DECIMAL -> "DECIMAL(18,2)";
                case CHAR, VARCHAR -> kind + "(8)";
                default -> kind.name();
            };
            assertThat(ColumnType.parse(text.toLowerCase()).sql()).isEqualTo(text);
        }
    }

    @Test
    void badTypesSayWhatIsExpected() {
        String expected = "BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE, DATETIME,"
                + " CHAR(n), VARCHAR(n) or STRING";
        assertThatThrownBy(() -> ColumnType.parse("MONEY")).hasMessage("unknown type 'MONEY'; expected " + expected);
        assertThatThrownBy(() -> ColumnType.parse(null)).hasMessage("unknown type 'null'; expected " + expected);
        assertThatThrownBy(() -> ColumnType.parse("INT(")).hasMessageStartingWith("unknown type 'INT('");
        assertThatThrownBy(() -> ColumnType.parse("DECIMAL"))
                .hasMessage("DECIMAL needs a precision 1..38: DECIMAL(p,s), got 'DECIMAL'");
        assertThatThrownBy(() -> ColumnType.parse("DECIMAL(40,2)"))
                .hasMessage("DECIMAL needs a precision 1..38: DECIMAL(p,s), got 'DECIMAL(40,2)'");
        assertThatThrownBy(() -> ColumnType.parse("DECIMAL(0)")).hasMessageContaining("1..38");
        assertThatThrownBy(() -> ColumnType.parse("DECIMAL(4,5)"))
                .hasMessage("DECIMAL scale must not exceed its precision, got 'DECIMAL(4,5)'");
        assertThatThrownBy(() -> ColumnType.parse("VARCHAR"))
                .hasMessage("VARCHAR needs one length 1..65533: VARCHAR(n), got 'VARCHAR'");
        assertThatThrownBy(() -> ColumnType.parse("CHAR(256)"))
                .hasMessage("CHAR needs one length 1..255: CHAR(n), got 'CHAR(256)'");
        assertThatThrownBy(() -> ColumnType.parse("VARCHAR(3,1)")).hasMessageContaining("VARCHAR(n)");
        assertThatThrownBy(() -> ColumnType.parse("INT(3)")).hasMessage("INT takes no arguments, got 'INT(3)'");
    }

    @Test
    void floatDoubleAndStringCannotBeKeysAsInDoris() {
        assertThat(ColumnType.parse("FLOAT").allowedAsKey()).isFalse();
        assertThat(ColumnType.parse("DOUBLE").allowedAsKey()).isFalse();
        assertThat(ColumnType.parse("STRING").allowedAsKey()).isFalse();
        assertThat(ColumnType.parse("VARCHAR(3)").allowedAsKey()).isTrue();
        assertThat(ColumnType.parse("DATETIME").allowedAsKey()).isTrue();
        assertThat(ColumnType.parse("CHAR(1)").isString()).isTrue();
        assertThat(ColumnType.parse("DATE").isString()).isFalse();
    }
}
