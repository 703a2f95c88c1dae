package io.snapbus.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 splitting: separators, quotes, line ends, empty fields and the lines errors name. */
class CsvRecordsTest {

    /** Each record as "line:" followed by its fields, a quoted one in brackets. */
    private static List<String> records(String text) {
        CsvRecords records = new CsvRecords(text);
        List<String> out = new ArrayList<>();
        for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
            StringBuilder s = new StringBuilder().append(r.line()).append(':');
            for (CsvRecords.Field f : r.fields()) {
                s.append(f.quoted() ? "[" + f.value() + "]" : f.value()).append('|');
            }
            out.add(s.toString());
        }
        return out;
    }

    @Test
    void quotedFieldsHoldSeparatorsLineBreaksAndDoubledQuotes() {
        assertThat(records("1,\"Paris, \"\"France\"\"\",12.50\r\n2,\"multi\nline\",\\N\n3,,\n4,\"\",0.005\n"))
                .containsExactly("1:1|[Paris, \"France\"]|12.50|", "2:2|[multi\nline]|\\N|", "4:3|||", "5:4|[]|0.005|");
    }

    @Test
    void lfCrlfAndAFinalCrEndRecordsAndEmptyLinesAreSkipped() {
        assertThat(records("a,b\r\n\r\n\nc,d\re")).containsExactly("1:a|b|", "4:c|d\re|");
        assertThat(records("a,b\r")).containsExactly("1:a|b|");
        assertThat(records("\"a\"\r\n\"b\"\r")).containsExactly("1:[a]|", "2:[b]|");
        assertThat(records("")).isEmpty();
        assertThat(records("\n\r\n")).isEmpty();
    }

    @Test
    void aCrInsideALineIsDataAsInDoris() {
        assertThat(records("1,a\r2,b\n")).containsExactly("1:1|a\r2|b|");
    }

    @Test
    void trailingSeparatorsMakeEmptyFields() {
        assertThat(records("a,\nb,")).containsExactly("1:a||", "2:b||");
        assertThat(records(",")).containsExactly("1:||");
        assertThat(records(" a , b ")).containsExactly("1: a | b |");
    }

    @Test
    void syntaxErrorsNameTheirLine() {
        assertThatThrownBy(() -> records("1,x\n2,\"open\nstill open")).isInstanceOf(BadRowException.class)
                .hasMessage("line 2: unterminated quoted field");
        assertThatThrownBy(() -> records("1,\"x\nx\"\n\"2\",\"x\"y"))
                .hasMessage("line 3: unexpected character after a quoted field");
        assertThatThrownBy(() -> records("\"x\"\r2")).hasMessage("line 1: unexpected character after a quoted field");
        assertThatThrownBy(() -> records("ok\n1,a\"b")).hasMessage("line 2: a quote inside an unquoted field");
    }
}
