# -*- coding: utf-8 -*-
# Application logic: get_or_insert, a transaction, GQL with cursors.
from google.appengine.ext import db

from models import Author, Post, Thread, jst_now

PAGE_SIZE = 3


def author_for(nickname):
    return Author.get_or_insert("author:" + nickname, nickname=nickname, joined=jst_now())


def create_thread(nickname, title, body):
    author = author_for(nickname)
    now = jst_now()
    thread = Thread(title=title, author=author, created=now, updated=now)
    thread.put()
    add_post(thread.key(), nickname, body)
    return thread


def add_post(thread_key, nickname, body):
    author = author_for(nickname)

    def txn():
        thread = db.get(thread_key)
        now = jst_now()
        post = Post(parent=thread, thread=thread, author=author, body=db.Text(body), date=now)
        thread.post_count += 1
        thread.updated = now
        db.put([thread, post])
        return post

    post = db.run_in_transaction(txn)
    count_post(author.key())
    return post


def count_post(author_key):
    def txn():
        author = Author.get(author_key)
        author.post_count += 1
        author.put()
    db.run_in_transaction(txn)


def list_threads(cursor=None):
    query = db.GqlQuery("SELECT * FROM Thread ORDER BY updated DESC, title")
    if cursor:
        query.with_cursor(cursor)
    threads = query.fetch(PAGE_SIZE)
    next_cursor = query.cursor() if len(threads) == PAGE_SIZE else None
    return threads, next_cursor


def thread_posts(thread):
    return thread.posts.order("date").fetch(100)
