/** Config for /auth validation tests: one mock password connector so flows are short, clients with peers. */

export const REDIRECT = 'https://app.example.com/callback';

export const authorizeConfig = (issuer: string, listen: string) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  responseTypes: [code, token, id_token]
connectors:
- type: mockPassword
  id: mock
  name: Mock
  config:
    username: kilgore
    password: trout
staticClients:
- id: app
  secret: app-secret
  name: App
  redirectURIs: ['${REDIRECT}']
- id: peer
  secret: peer-secret
  name: Peer
  redirectURIs: ['https://peer.example.com/cb']
  trustedPeers: [app]
- id: stranger
  secret: s
  name: Stranger
  redirectURIs: ['https://stranger.example.com/cb']
- id: native
  name: Native
  public: true
  redirectURIs: ['http://127.0.0.1/callback']
`;
