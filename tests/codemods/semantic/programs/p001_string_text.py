"""StringProperty vs TextProperty: unicode, long values, indexed filters."""
# -*- coding: utf-8 -*-
from google.appengine.ext import db


class Page(db.Model):
    slug = db.StringProperty()
    content = db.TextProperty()


def run(observe):
    Page(key_name='jp', slug=u'\u65e5\u672c', content=u'\u3053\u3093\u306b\u3061\u306f' * 200).put()
    p = Page.get_by_key_name('jp')
    observe('slug', p.slug)
    observe('content_len', len(p.content))
    observe('filter_unicode', [x.key().name() for x in Page.all().filter('slug =', u'\u65e5\u672c')])
    observe.error('long_string', Page, slug='x' * 1501)
    observe.error('text_from_int', Page, content=5)
    observe.error('string_from_bytes', Page, slug=b'abc')
