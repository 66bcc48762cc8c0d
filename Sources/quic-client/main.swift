import Foundation
import TLSTool

exit(QUICClientCommand.main())
