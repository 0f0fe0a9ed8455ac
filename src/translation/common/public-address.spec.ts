import { isPublicAddress } from './public-address';

describe('isPublicAddress', () => {
  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '2606:4700:4700::1111',
    '64:ff9b::808:808',
    '::ffff:8.8.8.8',
  ])('treats %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    'localhost',
  ])('treats %s as private or local', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  // IPv4-compatible IPv6 (::/96): some stacks route `::7f00:1` to 127.0.0.1.
  it.each([
    '::7f00:1',
    '::127.0.0.1',
    '::a00:1',
    '::10.0.0.1',
    '::169.254.169.254',
    '::8.8.8.8',
    '0:0:0:0:0:0:7f00:1',
  ])('refuses the IPv4-compatible %s, whatever IPv4 address it embeds', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});
