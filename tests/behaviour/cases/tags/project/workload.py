import tags


def run() -> str:
    for name in ["python", "Admin", "cooking", "root"]:
        tags.register(tags.Tag(name))
    return "done"
