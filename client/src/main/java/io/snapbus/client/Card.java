package io.snapbus.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One record as {@code SHOW ...\G} prints a row: a line per property, the capitalized names right-aligned, in the
 * record's own order (Doris's column order for SHOW BACKUP and SHOW RESTORE).
 */
final class Card {
    private final List<String[]> fields = new ArrayList<>();

    /** Every property of a record but the {@code omitted} ones, in its component order. */
    static Card of(Record record, String... omitted) {
        Set<String> skip = Set.of(omitted);
        JsonNode node = Json.tree(record);
        Card card = new Card();
        for (var component : record.getClass().getRecordComponents()) {
            if (!skip.contains(component.getName()) && node.has(component.getName())) {
                card.field(TextTable.capitalized(component.getName()), Json.text(node.get(component.getName())));
            }
        }
        return card;
    }

    Card field(String name, String value) {
        fields.add(new String[] {name, value});
        return this;
    }

    String render() {
        int width = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] field : fields) {
            text.append(" ".repeat(width - field[0].length())).append(field[0]).append(": ").append(field[1])
                    .append(System.lineSeparator());
        }
        return text.toString();
    }
}
