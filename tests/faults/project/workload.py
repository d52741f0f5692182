import feeds

NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]


def run() -> list[str]:
    return feeds.digest(NAMES)
