package io.snapbus.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {
    private final List<Integer> all = List.of(5, 4, 3, 2, 1);

    @Test
    void aFullPageNamesTheOffsetOfTheNext() {
        Page<Integer> page = Page.of(all, 0, 2);
        assertThat(page.items()).containsExactly(5, 4);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.nextOffset()).isEqualTo(2);
    }

    @Test
    void theLastPageHasNoNext() {
        assertThat(Page.of(all, 4, 2).items()).containsExactly(1);
        assertThat(Page.of(all, 4, 2).nextOffset()).isNull();
        assertThat(Page.of(all, 3, 2).nextOffset()).isNull();
    }

    @Test
    void anOffsetPastTheEndIsAnEmptyLastPage() {
        Page<Integer> page = Page.of(all, 9, 2);
        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.offset()).isEqualTo(9);
        assertThat(page.nextOffset()).isNull();
    }

    @Test
    void theLargestLimitDoesNotOverflow() {
        assertThat(Page.of(all, Integer.MAX_VALUE - 1, Page.MAX_LIMIT).items()).isEmpty();
    }
}
