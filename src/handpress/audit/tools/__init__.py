"""The Node and Java tools the audit needs (pa11y with puppeteer, vnu.jar), where they are looked for, how a
pip-installed handpress gets them, and what is there.

    locate    the search order: the project's node_modules, handpress's checkout, the per-user folder
    install   ``handpress tools install``: ``npm ci`` of the package.json/package-lock.json handpress ships
    status    ``handpress tools check``: Node, pa11y, vnu.jar, Chromium and Java, found or how to get them
"""
