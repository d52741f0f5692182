collect_ignore_glob = ["project/*", "package/*"]  # the fixtures' own tests run only inside evolver's runs
