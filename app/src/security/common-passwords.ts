// Passwords that appear at the top of every leaked-password list. A real site would check a far
// larger list (or a k-anonymity breach API); this short one shows the idea without a download.
export const commonPasswords: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '87654321', '11111111', '00000000', '88888888',
  '123123123', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty12',
  'asdfghjk', 'asdfghjkl', 'zxcvbnm1', 'password', 'password1', 'password12', 'password123', 'passw0rd',
  'p@ssw0rd', 'p@ssword', 'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball',
  'welcome1', 'welcome123', 'superman', 'starwars', 'whatever', 'trustno1', 'letmein1', 'letmein123',
  'abc12345', 'abcd1234', 'abcdefgh', 'admin123', 'administrator', 'changeme', 'computer', 'internet',
  'jennifer', 'michelle', 'midnight', 'mustang1', 'monkey123', 'dragon123', 'shadow123', 'master123',
  'qazwsxedc', 'zaq12wsx', 'aa123456', 'a1234567', 'q1w2e3r4', 'q1w2e3r4t5', 'secret123', 'test1234',
  'testtest', 'default1', 'hello123', 'lovely123', 'freedom1', 'charlie1', 'samsung1', 'pokemon1',
  'batman123', 'chocolate', 'butterfly', 'liverpool', 'starwars1', 'login123', 'user1234', 'stacklab',
]);
