# Everything in here should be ignored
import click