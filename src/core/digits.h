/* "00" to "99" one after the other: integers and dates are written two
 * digits per copy (results hold millions of them). */
#ifndef SPY_DIGITS_H
#define SPY_DIGITS_H

static const char spy_digits2[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

#endif
