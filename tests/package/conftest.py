collect_ignore_glob = ["project/*"]  # the fixture's own tests run only inside evolver's runs
