"""PhoneNumber, PostalAddress, IM properties: construction, round trip, IM parsing."""
from google.appengine.ext import db


class Card(db.Model):
    phone = db.PhoneNumberProperty()
    address = db.PostalAddressProperty()
    im = db.IMProperty()


def run(observe):
    c = Card(key_name='c', phone=db.PhoneNumber('+1 555 0100'),
             address=db.PostalAddress('1 Main St\nSpringfield'), im=db.IM('xmpp', 'ann@jabber.org'))
    c.put()
    back = Card.get_by_key_name('c')
    observe('phone', back.phone)
    observe('address', back.address)
    observe('im', (back.im.protocol, back.im.address))
    observe('im_str', str(back.im))
    observe.error('im_bad', db.IM, 'no-space')
    observe.error('phone_empty', db.PhoneNumber, '')
