from django.utils import translation

from keyprojects.core.text import join_list, normalize_search


def test_search_text_folds_traditional_to_simplified():
    assert normalize_search("冠州國際陸港項目") == normalize_search("冠州国际陆港项目") == "冠州国际陆港项目"


def test_lists_in_running_text_follow_the_language():
    assert join_list(["中央预算内", "银行贷款"]) == "中央预算内、银行贷款"
    with translation.override("en"):
        assert join_list(["Central budget", "Bank loan"]) == "Central budget, Bank loan"
