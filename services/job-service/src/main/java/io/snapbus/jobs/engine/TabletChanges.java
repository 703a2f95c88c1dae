package io.snapbus.jobs.engine;

import java.util.Collection;
import org.pcollections.ConsPStack;
import org.pcollections.PStack;

/**
 * The units (a backup's tablets, a restore's replicas) whose progress or awaited task changed since the job's
 * persisted state {@link #sinceStateSeq} (ids may repeat), so a persist finds the chunks to write without comparing
 * every unit of a 300 000-tablet job. It
 * starts empty again after each persisted state, so it holds one persist's worth of changes.
 *
 * <p>How a job got to its value is not part of the value: all TabletChanges are equal, so two jobs with the same
 * state are equal whatever their history.
 */
public final class TabletChanges {
    private final long sinceStateSeq;
    private final PStack<Long> tabletIds;

    private TabletChanges(long sinceStateSeq, PStack<Long> tabletIds) {
        this.sinceStateSeq = sinceStateSeq;
        this.tabletIds = tabletIds;
    }

    public static TabletChanges since(long stateSeq) {
        return new TabletChanges(stateSeq, ConsPStack.empty());
    }

    /** The persisted state these changes are relative to. */
    public long sinceStateSeq() {
        return sinceStateSeq;
    }

    /** Changed tablets, newest first, with repeats. */
    public PStack<Long> tabletIds() {
        return tabletIds;
    }

    public TabletChanges plus(long tabletId) {
        return new TabletChanges(sinceStateSeq, tabletIds.plus(tabletId));
    }

    public TabletChanges plusAll(Collection<Long> ids) {
        return new TabletChanges(sinceStateSeq, tabletIds.plusAll(ids));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TabletChanges;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "TabletChanges[since " + sinceStateSeq + ", " + tabletIds.size() + " changes]";
    }
}
