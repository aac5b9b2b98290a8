/**
 * Value types every module speaks: {@link org.telehall.shared.Money} in fen, {@link org.telehall.shared.Msisdn}.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.telehall.shared;
