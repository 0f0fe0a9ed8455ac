import { addressGroup } from './address-group';

describe('addressGroup', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['a full IPv6 address', '2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['another address in the same /64', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['an address compressed inside its /64', '2001:db8::2:0:0:0:1', '2001:db8:0:2::/64'],
    ['loopback', '::1', '0:0:0:0::/64'],
    ['an address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an IPv4 tail', '64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['no address', undefined, 'unknown'],
    ['something else', 'not-an-ip', 'unknown'],
  ])('groups %s', (_name, address, group) => {
    expect(addressGroup(address)).toBe(group);
  });

  it('tells two IPv6 /64s apart', () => {
    expect(addressGroup('2001:db8:1:2::1')).not.toBe(addressGroup('2001:db8:1:3::1'));
  });
});
