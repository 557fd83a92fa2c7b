function logout() { api('POST', '/api/logout', {}).then(function () { go('/login'); }); }
