package io.snapbus.client;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A wrong command line: picocli's message, then the commands the mistyped word was probably meant to be. picocli's own
 * suggestions compare letter pairs, which misses swapped letters ({@code qucikstart} gave start, restart, status); a
 * word one or two edits (a swap counting one) from a command's name suggests that command first.
 */
final class Suggestions implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(failure.getMessage());
        List<String> near = failure instanceof UnmatchedArgumentException unmatched ? near(command, unmatched)
                : List.of();
        if (!near.isEmpty()) {
            String name = command.getCommandSpec().qualifiedName();
            err.println("Did you mean: " + String.join(" or ", near.stream().map(n -> name + " " + n).toList())
                    + "?");
        } else if (!UnmatchedArgumentException.printSuggestions(failure, err)) {
            command.usage(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The subcommands within two edits of the first word that matched nothing, nearest first. */
    private static List<String> near(CommandLine command, UnmatchedArgumentException failure) {
        if (failure.isUnknownOption() || failure.getUnmatched().isEmpty() || command.getSubcommands().isEmpty()) {
            return List.of();
        }
        String word = failure.getUnmatched().get(0);
        return command.getSubcommands().keySet().stream().filter(name -> distance(word, name) <= 2)
                .sorted(Comparator.comparingInt(name -> distance(word, name))).toList();
    }

    /** Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
