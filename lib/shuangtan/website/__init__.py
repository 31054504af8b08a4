"""Publish the notebooks as an offline HTML site (``shuangtan report …``, ``make report``).

Modules by stage:

- ``execute``: run a notebook headless in a fresh kernel (empty working folder) and check its outputs;
- ``page``: turn an executed notebook into one offline page (code folded, contents, previous/next);
- ``index``: the landing page (titles, overviews, key figures, failed pages with their error);
- ``build``: the whole site for one corpus, built in a staging folder and swapped in;
- ``strip``: notebook hygiene (no outputs, the project's kernel);
- ``screenshot``: headless-Chromium screenshots for checking the pages by eye;
- ``commands``: the command line.
"""

from .execute import RenderError

__all__ = ["RenderError"]
