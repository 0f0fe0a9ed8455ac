import { chooseCredentialFileName, credentialFileContent } from './credential-file';

describe('chooseCredentialFileName', () => {
  it.each([
    ['alice@example.com', 'my-project-123', 'oauth_creds_alice_example_com_my-project-123.json'],
    ['First.Last@Example.co.uk', 'proj', 'oauth_creds_First_Last_Example_co_uk_proj.json'],
    ['a+tag@example.com', 'p', 'oauth_creds_atag_example_com_p.json'],
    ["o'brien@example.com", 'p', 'oauth_creds_obrien_example_com_p.json'],
    ['jörg@exämple.de', 'p', 'oauth_creds_jrg_exmple_de_p.json'],
    [
      'x@example.com',
      'example.com:legacy-proj',
      'oauth_creds_x_example_com_example_comlegacy-proj.json',
    ],
    ['x@example.com', '../../etc/passwd', 'oauth_creds_x_example_com_____etcpasswd.json'],
    [
      'x@example.com',
      'gen-lang-client-0123456789',
      'oauth_creds_x_example_com_gen-lang-client-0123456789.json',
    ],
    ['@', '!!!', 'oauth_creds___unspecified.json'],
  ])('names %j in project %j as %s', (email, project, name) => {
    expect(chooseCredentialFileName(email, project, undefined)).toBe(name);
  });

  it('never produces a path separator', () => {
    const name = chooseCredentialFileName('a/b\\c@x.com', 'p/../q', undefined);
    expect(name).not.toMatch(/[/\\]/);
  });

  it('replaces the file of the same account and project', () => {
    const existing = { content: { user_email: 'Alice@Example.com', project_id: 'p' } };
    expect(chooseCredentialFileName('alice@example.com', 'p', existing)).toBe(
      'oauth_creds_alice_example_com_p.json',
    );
  });

  it("does not overwrite another account's file that the safe rule maps to the same name", () => {
    const existing = { content: { user_email: 'a_b@x.com', project_id: 'p' } };
    const name = chooseCredentialFileName('a.b@x.com', 'p', existing);
    expect(name).toMatch(/^oauth_creds_a_b_x_com_p_[0-9a-f]{8}\.json$/);
    expect(chooseCredentialFileName('a.b@x.com', 'p', existing)).toBe(name);
  });

  it('does not overwrite a file it cannot attribute to this account', () => {
    expect(chooseCredentialFileName('a@x.com', 'p', { content: undefined })).toMatch(
      /_[0-9a-f]{8}\.json$/,
    );
    expect(chooseCredentialFileName('a@x.com', 'p', { content: { refresh_token: 'r' } })).toMatch(
      /_[0-9a-f]{8}\.json$/,
    );
  });
});

describe('credentialFileContent', () => {
  it('writes the fields of DESIGN §6 and the fresh access token', () => {
    expect(
      credentialFileContent({
        clientId: 'cid',
        clientSecret: 'secret',
        refreshToken: '1//rt',
        tokenUri: 'https://oauth2.googleapis.com/token',
        projectId: 'proj',
        email: 'a@x.com',
        accessToken: 'ya29.a',
        expiryDate: 123,
      }),
    ).toEqual({
      client_id: 'cid',
      client_secret: 'secret',
      refresh_token: '1//rt',
      token_uri: 'https://oauth2.googleapis.com/token',
      project_id: 'proj',
      user_email: 'a@x.com',
      access_token: 'ya29.a',
      expiry_date: 123,
    });
  });

  it('leaves out an access token it does not have', () => {
    const content = credentialFileContent({
      clientId: 'cid',
      clientSecret: 's',
      refreshToken: 'r',
      tokenUri: 't',
      projectId: 'p',
      email: 'e@x.com',
    });
    expect(Object.keys(content)).toEqual([
      'client_id',
      'client_secret',
      'refresh_token',
      'token_uri',
      'project_id',
      'user_email',
    ]);
  });
});
