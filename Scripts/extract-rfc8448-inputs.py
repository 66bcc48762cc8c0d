#!/usr/bin/env python3
# Writes Sources/TLSTool/RFC8448/RFC8448Inputs+Sections4To7.swift: the values RFC 8448 §4, §6 and §7
# start from (key shares' private keys, the messages our replay must send as the RFC does),
# copied from the RFC's own text so no byte is typed by hand. Run from the package root:
#
#     python3 Scripts/extract-rfc8448-inputs.py
#
# tls13-compare then checks every value the replay prints against the same text.
import os, re
os.chdir(os.path.join(os.path.dirname(__file__), '..'))
text = open('Tests/Vectors/rfc/rfc8448.txt').read()
# The RFC's page breaks (footer, form feed, running header) would split values.
text=re.sub(r'\n\n*Thomson +Informational +\[Page \d+\]\n\x0c?\nRFC 8448 +TLS 1.3 Traces +January 2019\n','\n',text)
lines=text.split('\n')
def section(n):
    start=next(i for i,l in enumerate(lines) if re.match(rf'^{n}\.  ',l))
    end=next(i for i,l in enumerate(lines) if re.match(rf'^{n+1}\.  ',l))
    return lines[start:end]
def value(sec, step, label, occurrence=0):
    L=section(sec); found=-1
    for i,l in enumerate(L):
        if l.strip().startswith(step):
            found+=1
            if found==occurrence: break
    else: raise Exception('no step '+step)
    for j in range(i+1,len(L)):
        m=re.match(r'^\s+'+re.escape(label)+r' \((\d+) octets\):\s+(.*)$',L[j])
        if m:
            n=int(m.group(1)); hexs=m.group(2).split()
            k=j+1
            while len(hexs)<n:
                hexs+=L[k].split(); k+=1
            assert len(hexs)==n,(step,label,len(hexs),n)
            return n,hexs
        if L[j].strip().startswith('{') and j>i+1: raise Exception('no label %s in %s'%(label,step))
def emit(name, doc, n, hexs):
    out=f'    /// {doc} ({n} octets)\n    static let {name} = """\n'
    for i in range(0,len(hexs),24): out+='        '+' '.join(hexs[i:i+24])+'\n'
    return out+'        """\n'
out='''// Generated from RFC 8448's text by the extraction in Scripts/extract-rfc8448-inputs.py; each
// value is as the RFC prints it under the step named in its comment.

/// The values RFC 8448 §6 (Client Authentication) starts from, as the RFC prints them. The RFC
/// withholds both certificates' private keys: the two CertificateVerify signatures are replayed
/// from here, and verified with the certificates' public keys (`RFC8448Profile`).
enum RFC8448Section6Inputs {
'''
S=[('clientPrivateKey','{client}  create an ephemeral x25519 key pair:','private key',0),
   ('clientHello','{client}  construct a ClientHello handshake message:','ClientHello',0),
   ('serverPrivateKey','{server}  create an ephemeral x25519 key pair:','private key',0),
   ('serverHello','{server}  construct a ServerHello handshake message:','ServerHello',0),
   ('encryptedExtensions','{server}  construct an EncryptedExtensions handshake message:','EncryptedExtensions',0),
   ('certificateRequest','{server}  construct a CertificateRequest handshake message:','CertificateRequest',0),
   ('certificate','{server}  construct a Certificate handshake message:','Certificate',0),
   ('certificateVerify','{server}  construct a CertificateVerify handshake message:','CertificateVerify',0),
   ('clientCertificate','{client}  construct a Certificate handshake message:','Certificate',0),
   ('clientCertificateVerify','{client}  construct a CertificateVerify handshake message:','CertificateVerify',0)]
for name,step,label,occ in S:
    n,h=value(6,step,label,occ); out+=emit(name, step.strip()+' '+label, n, h)
out+='''}

/// The values RFC 8448 §7 (Compatibility Mode) starts from, as the RFC prints them: §3's
/// handshake with a 32-byte legacy_session_id and a change_cipher_spec record from each side.
enum RFC8448Section7Inputs {
'''
S=[S[0],S[1],S[2],S[3],S[4],S[6],S[7]]
for name,step,label,occ in S:
    n,h=value(7,step,label,occ); out+=emit(name, step.strip()+' '+label, n, h)
out+='''}

/// The values RFC 8448 §4 (Resumed 0-RTT Handshake) starts from, as the RFC prints them: it
/// resumes with §3's ticket, whose PSK §3 prints as the resumption secret of its ticket.
enum RFC8448Section4Inputs {
'''
S4=[('psk','{server}  generate resumption secret "tls13 resumption":','expanded',0,3),
    ('clientPrivateKey','{client}  create an ephemeral x25519 key pair:','private key',0,4),
    # §4 prints the ClientHello without its binders at construction; the whole one is sent.
    ('clientHello','{client}  send handshake record:','payload',0,4),
    ('earlyData','{client}  send application_data record:','payload',0,4),
    ('serverPrivateKey','{server}  create an ephemeral x25519 key pair:','private key',0,4),
    ('serverHello','{server}  construct a ServerHello handshake message:','ServerHello',0,4),
    ('encryptedExtensions','{server}  construct an EncryptedExtensions handshake message:','EncryptedExtensions',0,4),
    ('clientApplicationData','{client}  send application_data record:','payload',1,4),
    ('serverApplicationData','{server}  send application_data record:','payload',0,4)]
for name,step,label,occ,sec in S4:
    n,h=value(sec,step,label,occ); out+=emit(name, '§%d '%sec+step.strip()+' '+label, n, h)
out+='}\n'
open('Sources/TLSTool/RFC8448/RFC8448Inputs+Sections4To7.swift','w').write(out)
