package dev.accrue.core.contact;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactRulesTest {

    @Test
    void aContactCountsWithAnyOneOfItsFiveQualifiers() {
        assertThat(new Contact("c", "a@b.io", null, null, false, false).qualifies()).isTrue();
        assertThat(new Contact("c", null, "+33612345678", null, false, false).qualifies()).isTrue();
        assertThat(new Contact("c", null, null, "u-42", false, false).qualifies()).isTrue();
        assertThat(new Contact("c", null, null, null, true, false).qualifies()).as("chat where the user wrote").isTrue();
        assertThat(new Contact("c", null, null, null, false, true).qualifies()).as("web push subscription").isTrue();
    }

    @Test
    void anAnonymousVisitorOrBlankAttributesDoNotCount() {
        assertThat(new Contact("c", null, null, null, false, false).qualifies()).isFalse();
        assertThat(new Contact("c", " ", "", "\t", false, false).qualifies()).isFalse();
    }

    @Property
    void qualifiesIsExactlyTheDisjunctionOfTheFiveConditions(@ForAll boolean email, @ForAll boolean phone, @ForAll boolean userId,
                                                              @ForAll boolean chat, @ForAll boolean push) {
        Contact c = new Contact("c", email ? "x@y.z" : null, phone ? "+1" : null, userId ? "u" : null, chat, push);
        assertThat(c.qualifies()).isEqualTo(email || phone || userId || chat || push);
    }

    @Test
    void negativeCountsAreRefusedWithAStableCode() {
        assertThatThrownBy(() -> ContactRules.checkCount(BigDecimal.valueOf(-1)))
                .isInstanceOfSatisfying(AccrueException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NEGATIVE_COUNT);
                    assertThat(e.code().wire()).isEqualTo("negative_count");
                    assertThat(e.field()).isEqualTo("count");
                });
        assertThatThrownBy(() -> ContactRules.checkCount(new BigDecimal("1.5")))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThatThrownBy(() -> ContactRules.checkCount(null))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD));
        assertThat(ContactRules.checkCount(new BigDecimal("1200"))).isEqualTo(1200L);
        assertThat(ContactRules.checkCount(BigDecimal.ZERO)).isZero();
    }

    @Test
    void aSyncBatchIsCheckedAsAWholeWithThePathOfTheFirstProblem() {
        var ok = new Contact("c1", "a@b.io", null, null, false, false);
        assertThatThrownBy(() -> ContactRules.checkSync(List.of(ok, new Contact(null, "x@y.z", null, null, false, false)), List.of()))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("upsert[1].id"));
        assertThatThrownBy(() -> ContactRules.checkSync(List.of(ok, ok), List.of()))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_IN_BATCH));
        assertThatThrownBy(() -> ContactRules.checkSync(List.of(new Contact("c1", "not-an-address", null, null, false, false)), List.of()))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("upsert[0].email"));
        assertThatThrownBy(() -> ContactRules.checkSync(List.of(ok), List.of("c1")))
                .as("the same contact upserted and deleted").isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> ContactRules.checkSync(List.of(), List.of("bad id with spaces")))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("delete[0]"));
    }
}
