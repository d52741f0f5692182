"""The adversarial suite: programs aimed at the edges of every transform's preconditions."""
