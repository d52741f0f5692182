import audit


def run() -> int:
    return sum(audit.send_all(["user-login-from-new-device", "ok", "password-reset-requested", "ping"]))
