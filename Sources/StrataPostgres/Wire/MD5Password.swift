import StrataDigests

/// The answer to AuthenticationMD5Password: `md5` followed by the hex MD5 of the hex MD5 of
/// password and user, salted with the server's 4 random bytes. PostgreSQL stores the inner
/// digest, so the server can check it without knowing the password.
func md5Password(user: String, password: String, salt: [UInt8]) -> String {
    "md5" + MD5.hex(Array(MD5.hex(password + user).utf8) + salt)
}
