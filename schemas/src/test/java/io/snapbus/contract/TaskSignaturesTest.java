package io.snapbus.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskSignaturesTest {
    @Test
    void aSignatureCarriesItsOwnerAndSequence() {
        long signature = TaskSignatures.of(10_042L, 299_999L);

        assertThat(TaskSignatures.owner(signature)).isEqualTo(10_042L);
        assertThat(TaskSignatures.sequence(signature)).isEqualTo(299_999L);
        assertThat(signature).isPositive();
    }

    @Test
    void refusesOwnersAndSequencesOutOfRange() {
        assertThatThrownBy(() -> TaskSignatures.of(0, 1)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TaskSignatures.of(1, 1L << 24)).hasMessageContaining("ran out of task signatures");
    }
}
