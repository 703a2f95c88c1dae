package io.snapbus.node.tablet;

import java.nio.file.Path;

/** Called by MOVE at each {@link MoveStep}: a debug point ({@link MovePause}) or, in tests, a simulated crash. */
@FunctionalInterface
interface MoveHook {
    MoveHook NONE = (step, restoreDir) -> { };

    void reached(MoveStep step, Path restoreDir);
}
