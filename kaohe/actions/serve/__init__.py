"""``serve``: a local preview of the site that rebuilds as the content changes, with a 记一笔 form per line.

- :mod:`.preview` the last build of ``output/`` (results.json and the site) and its generation, rebuilt on demand
- :mod:`.watch`   a thread watching ``content/`` (watchfiles) that asks for a rebuild on every change
- :mod:`.form`    the 记一笔 form of a line: its choices from the rubric, a submission read and appended
- :mod:`.pages`   the preview's own pages (errors, form, source view) from ``templates/serve/``
- :mod:`.server`  the HTTP server (``http.server``): local Host only, CSRF token on every POST, files by lookup
"""
