"""The memory-mapped language model answers exactly as py3langid's own; a sure opening decides the language."""

from __future__ import annotations

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from geo import read
from geo.language_model import identifier

TEXTS = [
    "Artillery fire hit the northern districts of the city overnight, local officials said on Tuesday.",
    "Des tirs d'artillerie ont frappé les quartiers nord de la ville dans la nuit, selon les autorités.",
    "Артиллерийский обстрел ночью затронул северные районы города, сообщили местные власти.",
    "Артилерійський обстріл уночі зачепив північні райони міста, повідомила місцева влада.",
    "قصف مدفعي استهدف الأحياء الشمالية للمدينة الليلة الماضية بحسب مسؤولين محليين.",
    "Topçu ateşi gece boyunca şehrin kuzey mahallelerini vurdu, yerel yetkililer açıkladı.",
    "Fuego de artillería alcanzó los barrios del norte de la ciudad durante la noche.",
]


def test_same_ranking_as_py3langid() -> None:
    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in TEXTS:
        assert identifier().rank(text) == own.rank(text)


def test_sure_opening_decides_and_unsure_reads_on() -> None:
    long_french = " ".join([TEXTS[1]] * 20)
    assert len(long_french) > read._QUICK_SAMPLE and read.detect_language(long_french) == "fr"
    # an opening of English and French sentences in turn is unsure (English by a little): the rest, French, decides
    mixed = " ".join([TEXTS[0], TEXTS[1]] * 3) + " " + " ".join([TEXTS[1]] * 30)
    opening = read._ranked_language(mixed[:read._QUICK_SAMPLE])
    assert opening is not None and opening[1] < read._SURE
    assert read.detect_language(mixed) == "fr"
    assert [read.detect_language(t) for t in TEXTS] == ["en", "fr", "ru", "uk", "ar", "tr", "es"]


def test_two_languages_read_whole() -> None:
    """An English opening and a Russian close, each sure of itself: the whole window decides."""
    text = " ".join([TEXTS[0]] * 8) + " " + " ".join([TEXTS[2]] * 12)
    window = text[:read._LANGUAGE_SAMPLE]
    opening, closing = read._ranked_language(window[:read._QUICK_SAMPLE]), read._ranked_language(window[-read._QUICK_SAMPLE:])
    assert opening is not None and closing is not None
    assert (opening[0], closing[0]) == ("en", "ru") and min(opening[1], closing[1]) >= read._SURE
    whole = read._ranked_language(window)
    assert whole is not None and read.detect_language(text) == whole[0]
