"""The test helper that turns "[span]{VALUE}" marks into expected offsets must itself be right."""


def test_unmark_gives_offsets_of_the_plain_text(marks):
    text, expected = marks("In [Japan]{JPN} and [the U.K.]{GBR}.")
    assert text == "In Japan and the U.K.."
    assert expected == [("Japan", 3, 8, "JPN"), ("the U.K.", 13, 21, "GBR")]
