from __future__ import annotations

import pytest

import textstats
import workload


@pytest.mark.parametrize(("word", "expected"), [
    ("cat", 1), ("table", 2), ("make", 1), ("free", 1), ("banana", 3), ("rhythm", 1), ("", 0),
    ("'tis", 1), ("Astronomers", 4), ("queue", 1), ("eye", 1), ("a", 1),
])
def test_syllables(word: str, expected: int) -> None:
    assert textstats.syllables(word) == expected


def test_syllables_repeated_calls_agree() -> None:
    assert [textstats.syllables(w) for w in ["apple", "apple", "Apple"]] == [2, 2, 2]


def test_tokens_and_sentences() -> None:
    text = "Don't panic! The towel is here. Is it?? yes"
    assert textstats.tokens(text) == ["don't", "panic", "the", "towel", "is", "here", "is", "it", "yes"]
    assert textstats.sentences(text) == ["Don't panic", "The towel is here", "Is it", "yes"]
    assert textstats.sentences("...") == []


def test_content_words_and_keywords() -> None:
    words = textstats.tokens("the cat and the hat of the cat sat on a mat with the cat")
    assert textstats.content_words(words) == ["cat", "hat", "cat", "sat", "mat", "with", "cat"]
    assert textstats.keywords(words, 3) == (("cat", 3), ("hat", 1), ("sat", 1))


def test_keywords_follow_changes_to_the_stop_list() -> None:
    words = ["river", "river", "bridge"]
    assert textstats.keywords(words) == (("river", 2), ("bridge", 1))
    textstats.STOPWORDS.append("river")
    try:
        assert textstats.keywords(words) == (("bridge", 1),)
    finally:
        textstats.STOPWORDS.remove("river")


def test_longest_word_prefers_the_last_of_equal_length() -> None:
    assert textstats.longest_word(["bb", "aaa", "ccc", "d"]) == "ccc"
    assert textstats.longest_word([]) == ""


def test_shortest_sentence_prefers_the_first_of_equal_length() -> None:
    assert textstats.shortest_sentence(["long one", "ab", "cd", "xyz"]) == "ab"
    assert textstats.shortest_sentence([]) == ""


def test_reading_ease() -> None:
    assert textstats.reading_ease(0, 0, 0) == 0.0
    assert textstats.reading_ease(10, 2, 15) == round(206.835 - 1.015 * 5 - 84.6 * 1.5, 2)


def test_summarize_and_render() -> None:
    summary = textstats.summarize("The cat sat. The cat ran far away! Cats nap.")
    assert (summary.words, summary.sentences, summary.syllables) == (10, 3, 11)
    assert summary.longest_word == "cats" and summary.shortest_sentence == "Cats nap"
    assert summary.keywords == (("cat", 2), ("sat", 1), ("ran", 1), ("far", 1), ("away", 1), ("cats", 1),
                                ("nap", 1))
    report = textstats.render(summary)
    assert report.splitlines()[0] == "10 words, 3 sentences, 11 syllables, reading ease 110.39"
    assert report.splitlines()[1] == "  cat               2"
    assert len(report.splitlines()) == 8


def test_workload_summary_is_stable() -> None:
    result = workload.run()
    assert result["documents"] == 12 and result["words"] == 48000
    assert result == workload.run()
