module.exports = require('./e2e-global').teardown;
