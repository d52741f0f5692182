import boto as b, import peewee as p,
